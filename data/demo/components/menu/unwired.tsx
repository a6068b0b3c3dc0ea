import { useState } from "react";

export default function App() {
  const [open, setOpen] = useState(false);
  return (
    <nav>
      <button onClick={() => {}}>☰</button>
      <p>Home · Shop · Contact</p>
    </nav>
  );
}
