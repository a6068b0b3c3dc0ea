import { useState } from "react";

export default function App() {
  const [open, setOpen] = useState(false);
  return (
    <div>
      <button>Shipping times +</button>
      <p>Orders arrive in three days.</p>
    </div>
  );
}
