// request: A card with a button that toggles dark mode
import { useState } from "react";

export default function App() {
  const [dark, setDark] = useState(false);
  return (
    <div className={dark ? "bg-black text-white" : "bg-white"}>
      <p>{dark ? "Dark" : "Light"} mode</p>
      <button onClick={() => setDark(!dark)}>Toggle</button>
    </div>
  );
}
