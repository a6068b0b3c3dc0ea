export default function App() {
  return (
    <div className="max-w-md p-6">
      <p className="rounded border p-2">Just shipped a new feature!</p>
      <p className="text-gray-500">252 characters left</p>
    </div>
  );
}
