import { useState } from 'react';
import { Button } from '../shared/Button';

export default function Dashboard() {
  const [range, setRange] = useState('7d');
  return (
    <div className="p-6">
      <h1>Dashboard ({range})</h1>
      <Button onClick={() => setRange('30d')}>Last 30 days</Button>
    </div>
  );
}
