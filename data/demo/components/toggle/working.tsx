// request: A switch that turns notifications on and off
import { useState } from "react";

export default function App() {
  const [on, setOn] = useState(false);
  return (
    <button role="switch" aria-checked={on} onClick={() => setOn(!on)}>
      Notifications: {on ? "on" : "off"}
    </button>
  );
}
