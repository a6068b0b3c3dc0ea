import { Button } from './Button';

export default { title: 'Shared/Button', component: Button };
export const Primary = () => <Button primary>Save</Button>;
