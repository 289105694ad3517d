export function check(): boolean {
  return true;
}
