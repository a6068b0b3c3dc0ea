export default function App() {
  return (
    <div className="max-w-md rounded border p-4">
      <h2 className="font-semibold">How long does shipping take?</h2>
      <p className="mt-2 text-gray-600">Orders arrive within three working days.</p>
    </div>
  );
}
