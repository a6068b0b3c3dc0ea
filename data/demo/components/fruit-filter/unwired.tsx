import { useState } from "react";

const FRUITS = ["Apple", "Banana", "Cherry", "Mango", "Pear"];

export default function App() {
  const [query, setQuery] = useState("");
  return (
    <div className="p-6">
      <input className="border px-2 py-1" placeholder="Search" />
      <ul className="mt-2">
        {FRUITS.map((f) => <li key={f}>{f}</li>)}
      </ul>
    </div>
  );
}
