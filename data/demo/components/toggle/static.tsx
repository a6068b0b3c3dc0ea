export default function App() {
  return (
    <div className="p-6">
      <h2 className="text-lg font-semibold">Notifications</h2>
      <p className="text-gray-600">Notifications are off.</p>
    </div>
  );
}
