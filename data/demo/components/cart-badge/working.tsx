// request: An add to cart button with a cart count badge
import { useState } from "react";

export default function App() {
  const [count, setCount] = useState(0);
  return (
    <div className="flex items-center gap-4 p-6">
      <button className="rounded bg-emerald-600 px-4 py-2 text-white" onClick={() => setCount(count + 1)}>
        Add to cart
      </button>
      <span className="rounded-full bg-gray-800 px-2 text-white">🛒 {count}</span>
    </div>
  );
}
