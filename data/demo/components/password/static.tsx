export default function App() {
  return (
    <form className="p-6">
      <label className="block text-sm">Password</label>
      <p className="mt-1 text-gray-500">At least 8 characters.</p>
    </form>
  );
}
