// request: A to-do list where I can add items
import { useState } from "react";

export default function App() {
  const [items, setItems] = useState(["Buy milk"]);
  return (
    <div>
      <button onClick={() => setItems([...items, "New task"])}>Add</button>
      <ul>
        {items.map((item, i) => <li key={i}>{item}</li>)}
      </ul>
    </div>
  );
}
