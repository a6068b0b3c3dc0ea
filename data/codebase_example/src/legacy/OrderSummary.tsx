// Order summary with a subtotal (this file was half-migrated and declares `total` twice).
export default function OrderSummary() {
  const total = 42;
  const total = 43;
  return <p className="p-4">Total: ${total}</p>;
}
