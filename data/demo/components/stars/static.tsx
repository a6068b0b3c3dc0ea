export default function App() {
  return (
    <div className="p-6">
      <p className="text-2xl text-yellow-500">★★★★☆</p>
      <p className="text-sm text-gray-500">4 of 5</p>
    </div>
  );
}
