// request: A Celsius to Fahrenheit converter
import { useState } from "react";

export default function App() {
  const [celsius, setCelsius] = useState(20);
  return (
    <div className="p-6">
      <label className="block">
        Celsius
        <input type="number" className="ml-2 border px-2" value={celsius} onChange={(e) => setCelsius(Number(e.target.value))} />
      </label>
      <p className="mt-2 text-lg">{((celsius * 9) / 5 + 32).toFixed(1)} °F</p>
    </div>
  );
}
