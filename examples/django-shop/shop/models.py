from django.db import models


class Product(models.Model):
    id = models.IntegerField(primary_key=True)
    name = models.CharField(max_length=200)
    stock = models.IntegerField()
    price = models.DecimalField(max_digits=10, decimal_places=2)


class Order(models.Model):
    product = models.ForeignKey(Product, on_delete=models.PROTECT)
    quantity = models.IntegerField()
    created = models.DateTimeField(auto_now_add=True)
