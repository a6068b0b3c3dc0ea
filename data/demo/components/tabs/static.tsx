export default function App() {
  return (
    <div className="p-6">
      <h2 className="text-lg font-semibold">Profile</h2>
      <p className="mt-4">Ada Lovelace, London</p>
    </div>
  );
}
