"""Routes, written the way a Django 3.2 app writes them: transaction.atomic around each write, the ORM
reading before it writes. Errors other than bad input are left to Django (a database error is a 500)."""
import json
import os
import time

from django.conf import settings
from django.db import transaction
from django.http import HttpResponseNotAllowed, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from .models import Order, Product

#: Most items one restock may carry.
MAX_RESTOCK_ITEMS = 1000


class OutOfStock(Exception):
    pass


class UnknownProduct(Exception):
    pass


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


def _json_object(request):
    try:
        body = json.loads(request.body or b"null")
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _count(value) -> bool:
    """A whole number > 0 (JSON true is not one)."""
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def health(request):
    return JsonResponse({"status": "ok", "pid": os.getpid(), "config": settings.CONFIG.as_dict()})


def product(request, product_id: int):
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    found = Product.objects.filter(id=product_id).first()
    if found is None:
        return _error(404, "NOT_FOUND", f"no product {product_id}")
    return JsonResponse({"id": found.id, "name": found.name, "stock": found.stock, "price": str(found.price)})


@csrf_exempt
def place_order(request):
    """Reads the product's stock, works, then decrements it and inserts the order: one transaction."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    body = _json_object(request)
    if body is None or not _count(body.get("product_id")) or not _count(body.get("quantity")):
        return _error(400, "BAD_REQUEST", "expected a JSON object with product_id and quantity, whole numbers > 0")
    quantity = body["quantity"]
    try:
        with transaction.atomic():
            # Read, then write: under a deferred transaction this read takes only a read lock.
            ordered = Product.objects.filter(id=body["product_id"]).first()
            if ordered is None:
                raise UnknownProduct()
            time.sleep(settings.CONFIG.order_work_ms / 1000)
            if ordered.stock < quantity:
                raise OutOfStock()
            ordered.stock -= quantity
            ordered.save(update_fields=["stock"])
            order = Order.objects.create(product=ordered, quantity=quantity)
    except UnknownProduct:
        return _error(404, "NOT_FOUND", f"no product {body['product_id']}")
    except OutOfStock:
        return _error(409, "OUT_OF_STOCK", f"product {body['product_id']} has fewer than {quantity} in stock")
    return JsonResponse({"order_id": order.id, "product_id": ordered.id, "quantity": quantity, "stock_left": ordered.stock}, status=201)


@csrf_exempt
def restock(request):
    """Every item of a restock in one transaction, each read, worked on and written back."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    body = _json_object(request)
    items = body.get("items") if body is not None else None
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_RESTOCK_ITEMS:
        return _error(400, "BAD_REQUEST", f"items must be a list of 1 to {MAX_RESTOCK_ITEMS} items")
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not _count(item.get("product_id")) or not _count(item.get("quantity")):
            return _error(400, "BAD_REQUEST", f"items[{i}] must be an object with product_id and quantity, whole numbers > 0")
    work_s = settings.CONFIG.restock_item_work_ms / 1000
    try:
        with transaction.atomic():
            for item in items:
                restocked = Product.objects.filter(id=item["product_id"]).first()
                if restocked is None:
                    raise UnknownProduct(item["product_id"])
                time.sleep(work_s)
                restocked.stock += item["quantity"]
                restocked.save(update_fields=["stock"])
    except UnknownProduct as unknown:
        return _error(404, "NOT_FOUND", f"no product {unknown.args[0]}")
    return JsonResponse({"restocked": len(items), "units": sum(item["quantity"] for item in items)})
