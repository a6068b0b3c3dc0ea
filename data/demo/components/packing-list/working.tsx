// request: A checklist of packing items you can tick off
import { useState } from "react";

const ITEMS = ["Passport", "Charger", "Toothbrush"];

export default function App() {
  const [done, setDone] = useState<string[]>([]);
  const toggle = (item: string) =>
    setDone(done.includes(item) ? done.filter((d) => d !== item) : [...done, item]);
  return (
    <ul className="p-6">
      {ITEMS.map((item) => (
        <li key={item}>
          <label>
            <input type="checkbox" checked={done.includes(item)} onChange={() => toggle(item)} /> {item}
          </label>
        </li>
      ))}
      <li className="mt-2 text-sm">{done.length} of {ITEMS.length} packed</li>
    </ul>
  );
}
