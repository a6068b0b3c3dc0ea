// request: A simple image carousel with next and previous buttons
import { useState } from "react";

const SLIDES = ["Mountains", "Beach", "Forest"];

export default function App() {
  const [i, setI] = useState(0);
  return (
    <div className="p-6 text-center">
      <img src={`https://placehold.co/300x150?text=${SLIDES[i]}`} alt={SLIDES[i]} />
      <button className="mr-2 border px-2" onClick={() => setI((i + SLIDES.length - 1) % SLIDES.length)}>Prev</button>
      <button className="border px-2" onClick={() => setI((i + 1) % SLIDES.length)}>Next</button>
    </div>
  );
}
