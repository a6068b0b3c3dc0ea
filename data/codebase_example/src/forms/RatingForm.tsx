/**
 * Leave a review: pick 1-5 stars (hover previews the rating), write an optional comment, submit, and see a thank-you
 * message with the option to edit.
 */
import { useState } from 'react';
import { Star } from 'react-feather';
import clsx from 'clsx';

export default function RatingForm() {
  const [rating, setRating] = useState(0);
  const [hover, setHover] = useState(0);
  const [comment, setComment] = useState('');
  const [sent, setSent] = useState(false);

  if (sent) {
    return (
      <div className="mx-auto mt-12 max-w-sm rounded-lg border p-6 text-center">
        <p className="text-lg font-semibold">Thanks for your {rating}-star review!</p>
        <button onClick={() => setSent(false)} className="mt-3 text-sm text-indigo-600 underline">Edit review</button>
      </div>
    );
  }

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (rating > 0) setSent(true);
      }}
      className="mx-auto mt-12 max-w-sm space-y-4 rounded-lg border p-6"
    >
      <h1 className="text-lg font-semibold">How was your order?</h1>
      <div className="flex gap-1" onMouseLeave={() => setHover(0)}>
        {[1, 2, 3, 4, 5].map((n) => (
          <button type="button" key={n} aria-label={`${n} star${n > 1 ? 's' : ''}`} onClick={() => setRating(n)} onMouseEnter={() => setHover(n)}>
            <Star size={28} className={clsx((hover || rating) >= n ? 'fill-amber-400 text-amber-400' : 'text-gray-300')} />
          </button>
        ))}
      </div>
      <textarea
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        placeholder="Tell us more (optional)"
        className="h-24 w-full rounded border p-2"
      />
      <button type="submit" disabled={rating === 0} className="w-full rounded bg-indigo-600 py-2 text-white disabled:opacity-50">
        Submit review
      </button>
    </form>
  );
}
