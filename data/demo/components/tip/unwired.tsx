import { useState } from "react";

export default function App() {
  const [tip, setTip] = useState(15);
  return (
    <div className="space-y-2 p-6">
      <div className="flex gap-2">
        {[10, 15, 20].map((t) => <button key={t} className="border px-2">{t}%</button>)}
      </div>
      <p>Tip: $6.00</p>
    </div>
  );
}
