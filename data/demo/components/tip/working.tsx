// request: A tip calculator
import { useState } from "react";

export default function App() {
  const [bill, setBill] = useState(40);
  const [tip, setTip] = useState(15);
  return (
    <div className="space-y-2 p-6">
      <input type="number" className="border px-2" value={bill} onChange={(e) => setBill(Number(e.target.value))} />
      <div className="flex gap-2">
        {[10, 15, 20].map((t) => <button key={t} className="border px-2" onClick={() => setTip(t)}>{t}%</button>)}
      </div>
      <p>Tip: ${((bill * tip) / 100).toFixed(2)}</p>
    </div>
  );
}
