export default function App() {
  return (
    <div className="bg-gray-900 p-6 text-white">
      <h1 className="text-xl font-bold">Dark mode</h1>
      <p className="mt-2 text-gray-300">Easy on the eyes at night.</p>
    </div>
  );
}
