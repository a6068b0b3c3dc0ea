import { useState } from "react";

export default function App() {
  const [i, setI] = useState(0);
  const slides = ["Mountains", "Beach", "Forest"];
  return (
    <div>
      <p>{slides[i]}</p>
      <button>Next</button>
    </div>
  );
}
