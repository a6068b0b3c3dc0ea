// request: A list of fruits with a search box that filters it
import { useState } from "react";

const FRUITS = ["Apple", "Banana", "Cherry", "Mango", "Pear"];

export default function App() {
  const [query, setQuery] = useState("");
  const shown = FRUITS.filter((f) => f.toLowerCase().includes(query.toLowerCase()));
  return (
    <div className="p-6">
      <input className="border px-2 py-1" placeholder="Search" value={query} onChange={(e) => setQuery(e.target.value)} />
      <ul className="mt-2">
        {shown.map((f) => <li key={f}>{f}</li>)}
      </ul>
    </div>
  );
}
