import { useState } from "react";

export default function App() {
  const [open, setOpen] = useState(false);
  return (
    <nav className="p-4">
      <button aria-label="Menu" className="text-2xl" onClick={() => {}}>☰</button>
      <ul className="mt-2 space-y-1">
        {["Home", "Shop", "Contact"].map((link) => <li key={link}>{link}</li>)}
      </ul>
    </nav>
  );
}
