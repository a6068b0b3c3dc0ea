// request: Buttons that change the color of a box
import { useState } from "react";

const COLORS = ["bg-red-400", "bg-green-400", "bg-blue-400"];

export default function App() {
  const [color, setColor] = useState(COLORS[0]);
  return (
    <div className="p-6">
      <div className={`h-24 w-24 rounded ${color}`} />
      <div className="mt-4 flex gap-2">
        {COLORS.map((c) => (
          <button key={c} className={`h-8 w-8 rounded ${c}`} aria-label={c} onClick={() => setColor(c)} />
        ))}
      </div>
    </div>
  );
}
