export default function App() {
  return (
    <div className="p-6">
      <div className="h-24 w-24 rounded bg-red-400" />
      <p className="mt-2 text-sm">Red</p>
    </div>
  );
}
