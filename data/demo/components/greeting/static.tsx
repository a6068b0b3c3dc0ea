export default function App() {
  return (
    <div className="p-6">
      <p className="text-xl">Hello, stranger!</p>
      <p className="text-sm text-gray-500">Welcome back.</p>
    </div>
  );
}
