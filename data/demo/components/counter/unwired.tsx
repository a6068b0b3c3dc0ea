import { useState } from "react";

export default function App() {
  const [count, setCount] = useState(0);
  return (
    <div className="flex items-center gap-4 p-6">
      <button className="rounded bg-gray-200 px-3 py-1">-</button>
      <span className="text-2xl font-bold">{count}</span>
      <button className="rounded bg-gray-200 px-3 py-1">+</button>
    </div>
  );
}
