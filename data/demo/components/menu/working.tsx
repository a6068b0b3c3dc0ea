// request: A mobile menu that opens with a hamburger button
import { useState } from "react";

export default function App() {
  const [open, setOpen] = useState(false);
  return (
    <nav>
      <button onClick={() => setOpen(!open)}>☰</button>
      {open && <p>Home · Shop · Contact</p>}
    </nav>
  );
}
