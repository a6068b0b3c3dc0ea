export default function App() {
  return (
    <div className="p-6">
      <p className="text-lg">The quick brown fox jumps over the lazy dog.</p>
    </div>
  );
}
