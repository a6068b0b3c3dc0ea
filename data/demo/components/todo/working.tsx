// request: A to-do list where I can add items
import { useState } from "react";

export default function App() {
  const [items, setItems] = useState<string[]>(["Buy milk"]);
  const [text, setText] = useState("");
  const add = () => {
    if (text.trim()) setItems([...items, text.trim()]);
    setText("");
  };
  return (
    <div className="p-6">
      <input className="border px-2 py-1" value={text} onChange={(e) => setText(e.target.value)} />
      <button className="ml-2 rounded bg-blue-500 px-3 py-1 text-white" onClick={add}>Add</button>
      <ul className="mt-4 list-disc pl-6">
        {items.map((item) => <li key={item}>{item}</li>)}
      </ul>
    </div>
  );
}
