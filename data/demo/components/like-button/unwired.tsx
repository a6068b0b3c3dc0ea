import { useState } from "react";

export default function App() {
  const [likes, setLikes] = useState(12);
  return (
    <button className="rounded-full border px-4 py-2" onClick={() => {}}>
      ♡ {likes} likes
    </button>
  );
}
