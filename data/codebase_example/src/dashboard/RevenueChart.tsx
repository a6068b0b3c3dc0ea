// Monthly revenue as a line chart.
import { LineChart, Line, XAxis, YAxis } from 'recharts';

const DATA = [{ m: 'Jan', v: 12 }, { m: 'Feb', v: 18 }, { m: 'Mar', v: 15 }];

export default function RevenueChart() {
  return (
    <LineChart width={400} height={240} data={DATA}>
      <XAxis dataKey="m" />
      <YAxis />
      <Line dataKey="v" stroke="#4f46e5" />
    </LineChart>
  );
}
