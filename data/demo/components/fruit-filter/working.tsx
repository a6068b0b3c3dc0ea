// request: A list of fruits with a search box that filters it
import { useState } from "react";

export default function App() {
  const [query, setQuery] = useState("");
  const fruits = ["Apple", "Banana", "Cherry"].filter((f) => f.includes(query));
  return (
    <div>
      <input value={query} onChange={(e) => setQuery(e.target.value)} />
      <p>{fruits.join(", ")}</p>
    </div>
  );
}
