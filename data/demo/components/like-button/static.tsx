export default function App() {
  return (
    <div className="rounded-lg border p-4">
      <p className="font-semibold">Sunset at the lake</p>
      <p className="text-sm text-gray-500">♡ 12 likes</p>
    </div>
  );
}
