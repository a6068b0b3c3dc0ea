# Sourced by each task of slurm/train.slurm, on its own node, before the server or the trainers start.
#
# VLLM_HOST_IP: the address vLLM and TRL advertise for their rendezvous (trainer rank 0 hosts the NCCL weight-transfer
# group; the server's workers connect to it). Unset, vLLM's get_ip() guesses it from a route to a public IP and falls
# back to 0.0.0.0, which no other node can reach. The node's own hostname is what SLURM and the other nodes use.
ip=$(getent ahostsv4 "$(hostname)" | awk '$1 !~ /^127\./ {print $1; exit}')
[[ -n "$ip" ]] || ip=$(hostname -I | awk '{print $1}')
export VLLM_HOST_IP=$ip
unset ip
