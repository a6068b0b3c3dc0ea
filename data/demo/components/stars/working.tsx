// request: A five-star rating widget
import { useState } from "react";

export default function App() {
  const [rating, setRating] = useState(0);
  return (
    <div className="p-6">
      {[1, 2, 3, 4, 5].map((n) => (
        <button key={n} className="text-2xl" aria-label={`${n} stars`} onClick={() => setRating(n)}>
          {n <= rating ? "★" : "☆"}
        </button>
      ))}
      <p className="text-sm text-gray-500">{rating} of 5</p>
    </div>
  );
}
