// request: A card with a button that toggles dark mode
import { useState } from "react";

export default function App() {
  const [dark, setDark] = useState(false);
  return (
    <div className={dark ? "bg-gray-900 p-6 text-white" : "bg-white p-6 text-gray-900"}>
      <h1 className="text-xl font-bold">{dark ? "Dark mode" : "Light mode"}</h1>
      <button className="mt-4 rounded border px-3 py-1" onClick={() => setDark(!dark)}>
        Toggle theme
      </button>
    </div>
  );
}
