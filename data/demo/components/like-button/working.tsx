// request: A like button that shows how many likes a post has
import { useState } from "react";

export default function App() {
  const [likes, setLikes] = useState(12);
  const [liked, setLiked] = useState(false);
  const toggle = () => {
    setLikes(liked ? likes - 1 : likes + 1);
    setLiked(!liked);
  };
  return (
    <button className="rounded-full border px-4 py-2" onClick={toggle}>
      {liked ? "♥" : "♡"} {likes} likes
    </button>
  );
}
