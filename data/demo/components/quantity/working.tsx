// request: A quantity picker for a shop item
import { useState } from "react";

export default function App() {
  const [qty, setQty] = useState(1);
  return (
    <div className="flex items-center gap-2 p-6">
      <span className="mr-4">Coffee beans</span>
      <button className="border px-2" onClick={() => setQty(Math.max(1, qty - 1))}>−</button>
      <span aria-live="polite">{qty}</span>
      <button className="border px-2" onClick={() => setQty(qty + 1)}>+</button>
      <span className="ml-4 font-bold">${(qty * 8.5).toFixed(2)}</span>
    </div>
  );
}
