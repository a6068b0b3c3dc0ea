// request: A five-star rating widget
import { useState } from "react";

export default function App() {
  const [rating, setRating] = useState(0);
  return (
    <div>
      {[1, 2, 3, 4, 5].map((n) => (
        <button key={n} onClick={() => setRating(n)}>{n <= rating ? "★" : "☆"}</button>
      ))}
    </div>
  );
}
