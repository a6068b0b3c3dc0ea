// request: A switch that turns notifications on and off
import { useState } from "react";

export default function App() {
  const [on, setOn] = useState(false);
  return (
    <div className="flex items-center gap-3 p-6">
      <button
        role="switch"
        aria-checked={on}
        className={on ? "rounded-full bg-green-500 px-4 py-1" : "rounded-full bg-gray-300 px-4 py-1"}
        onClick={() => setOn(!on)}
      >
        {on ? "On" : "Off"}
      </button>
      <span>Notifications</span>
    </div>
  );
}
