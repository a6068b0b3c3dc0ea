export default function App() {
  return (
    <div className="flex items-center gap-4 p-6">
      <span className="font-semibold">Running shoes</span>
      <span className="rounded-full bg-gray-800 px-2 text-white">🛒 2</span>
    </div>
  );
}
