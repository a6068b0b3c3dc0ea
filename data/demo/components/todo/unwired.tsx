import { useState } from "react";

export default function App() {
  const [items, setItems] = useState<string[]>(["Buy milk"]);
  return (
    <div className="p-6">
      <input className="border px-2 py-1" />
      <button className="ml-2 rounded bg-blue-500 px-3 py-1 text-white">Add</button>
      <ul className="mt-4 list-disc pl-6">
        {items.map((item) => <li key={item}>{item}</li>)}
      </ul>
    </div>
  );
}
