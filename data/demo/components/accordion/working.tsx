// request: A FAQ item that expands to show its answer
import { useState } from "react";

export default function App() {
  const [open, setOpen] = useState(false);
  return (
    <div>
      <button onClick={() => setOpen(!open)}>Shipping times {open ? "−" : "+"}</button>
      {open && <p>Orders arrive in three days.</p>}
    </div>
  );
}
