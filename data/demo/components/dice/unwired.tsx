import { useState } from "react";

export default function App() {
  const [face, setFace] = useState(1);
  return (
    <div className="p-6 text-center">
      <p className="text-5xl">{face}</p>
      <button className="mt-4 rounded bg-indigo-600 px-4 py-2 text-white">Roll</button>
    </div>
  );
}
