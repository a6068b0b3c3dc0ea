// request: A simple image carousel with next and previous buttons
import { useState } from "react";

export default function App() {
  const [i, setI] = useState(0);
  const slides = ["Mountains", "Beach", "Forest"];
  return (
    <div>
      <p>{slides[i]}</p>
      <button onClick={() => setI((i + 1) % slides.length)}>Next</button>
    </div>
  );
}
