import { useState } from "react";

export default function App() {
  const [items, setItems] = useState(["Buy milk"]);
  return (
    <div>
      <button>Add</button>
      <ul>
        {items.map((item, i) => <li key={i}>{item}</li>)}
      </ul>
    </div>
  );
}
