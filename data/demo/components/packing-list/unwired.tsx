import { useState } from "react";

const ITEMS = ["Passport", "Charger", "Toothbrush"];

export default function App() {
  const [done, setDone] = useState<string[]>([]);
  return (
    <ul className="p-6">
      {ITEMS.map((item) => (
        <li key={item}>
          <input type="checkbox" /> {item}
        </li>
      ))}
    </ul>
  );
}
