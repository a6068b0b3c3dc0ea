export default function App() {
  return (
    <div className="p-6">
      <p className="text-lg">20 °C is 68 °F</p>
      <p className="text-sm text-gray-500">Multiply by 9/5, then add 32.</p>
    </div>
  );
}
