import { useState } from "react";

export default function App() {
  const [query, setQuery] = useState("");
  return (
    <div>
      <input value={query} />
      <p>Apple, Banana, Cherry</p>
    </div>
  );
}
