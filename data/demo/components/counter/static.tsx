export default function App() {
  return (
    <div className="p-6">
      <h1 className="text-2xl font-bold">Counter</h1>
      <p className="text-gray-600">The count is 0.</p>
    </div>
  );
}
